"""HTTP API (apigatewayv2) support: a forwarder Lambda between chosen routes and their functions."""

"""HTTP APIs (apigatewayv2): a forwarder Lambda between chosen routes and their functions."""

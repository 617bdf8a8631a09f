"""REST APIs (apigateway): the snapshot, reads, recipe, planner, apply and rendering."""

"""asyncgw: make Lambda-backed API Gateway methods answer without waiting for the function."""

__version__ = "0.1.0"

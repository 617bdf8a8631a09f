"""The forwarder Lambda's own code and its deployment package."""

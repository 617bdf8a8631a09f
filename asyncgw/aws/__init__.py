"""AWS access: answers parsed into asyncgw's types, pacing and retries, errors, --trace."""

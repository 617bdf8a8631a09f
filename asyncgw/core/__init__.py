"""What REST and HTTP APIs share: the Backend protocol, the apply loop, rendering, errors."""

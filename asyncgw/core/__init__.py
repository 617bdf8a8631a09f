"""What REST and HTTP APIs share: errors, the undo journal and the commands' flows."""

"""One module per command (or family of commands), imported only when that command is used."""

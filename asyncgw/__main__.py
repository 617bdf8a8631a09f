"""`python -m asyncgw` runs the command line."""

from asyncgw.cli import main

main()

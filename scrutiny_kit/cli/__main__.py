"""`python -m scrutiny_kit.cli`: the same as the `scrutiny-kit` command."""
from . import command

command()

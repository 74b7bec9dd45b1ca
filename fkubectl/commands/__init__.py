"""One module per verb; see `fkubectl.cli.COMMANDS` for the registry."""

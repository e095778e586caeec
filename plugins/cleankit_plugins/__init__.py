"""cleankit's built-in plugins, one module each, registered through entry points."""

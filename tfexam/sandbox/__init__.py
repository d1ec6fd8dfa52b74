"""Running untrusted training: a child process per solution, a budget, an offline network."""

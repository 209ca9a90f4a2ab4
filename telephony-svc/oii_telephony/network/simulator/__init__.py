"""The simulated telephone network: the default connector, driven over HTTP."""

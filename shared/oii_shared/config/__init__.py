"""The contact-center configuration: module parameters and the YAML file."""

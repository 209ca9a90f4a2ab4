"""What every OII service is built from: infrastructure, SOAP endpoint, health, runner."""

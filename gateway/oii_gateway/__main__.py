from oii_gateway.main import main

main()

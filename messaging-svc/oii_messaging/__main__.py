from oii_messaging.main import main

main()

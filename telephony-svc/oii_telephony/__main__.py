from oii_telephony.main import main

main()

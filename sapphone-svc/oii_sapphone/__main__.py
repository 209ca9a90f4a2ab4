from oii_sapphone.main import main

main()

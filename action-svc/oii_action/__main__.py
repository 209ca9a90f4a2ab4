from oii_action.main import main

main()

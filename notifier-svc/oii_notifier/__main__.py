from oii_notifier.main import main

main()

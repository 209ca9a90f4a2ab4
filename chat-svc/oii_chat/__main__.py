from oii_chat.main import main

main()

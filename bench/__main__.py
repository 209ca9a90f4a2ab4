from bench.soap_load import main

main()

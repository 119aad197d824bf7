from pmledger.cli.main import main

main()

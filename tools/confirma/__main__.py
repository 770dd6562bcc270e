from confirma.cli import main

main()

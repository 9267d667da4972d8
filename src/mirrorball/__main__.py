from mirrorball.cli import main

main()

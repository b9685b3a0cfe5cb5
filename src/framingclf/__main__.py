from framingclf.cli import main

main()

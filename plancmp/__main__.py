"""`python -m plancmp`: the same command as `plancmp`, where the console script is not on PATH."""

from plancmp.cli import main

if __name__ == "__main__":
    main()

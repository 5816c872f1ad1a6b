from coach.cli import run

run()

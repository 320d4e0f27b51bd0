"""python -m mcda"""
from .cli import main

main()

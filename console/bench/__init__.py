"""The benchmark, `python main.py bench`: the console's budgets measured on generated data.

Not part of the test suite or CI. It sits above the UI in the layers and imports Qt only in
the processes it starts.
"""

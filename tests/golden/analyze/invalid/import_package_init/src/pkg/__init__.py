from .impl import get_cases as get_cases

# regressions notebooks (none yet)

# paper_a notebooks (none yet)

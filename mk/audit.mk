# audit notebooks (none yet)

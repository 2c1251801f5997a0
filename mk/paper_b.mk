# Paper B (Wenzhou offshore service outsourcing): one notebook per figure and table.

$(NB)/fig_b1_wenzhou_execution.ipynb $(FIG)/fig_b1_wenzhou_execution.png &: notebooks/fig_b1_wenzhou_execution.py $(PAPER_B) $(NB_CODE) $(SETUP)
	$(RUN) $< $(NB)/fig_b1_wenzhou_execution.ipynb -p values $(PAPER_B) -p figure $(FIG)/fig_b1_wenzhou_execution.png
NOTEBOOKS += $(NB)/fig_b1_wenzhou_execution.ipynb

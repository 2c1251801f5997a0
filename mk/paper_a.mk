# Paper A (涂舒 2024, 以新型服务外包培育新质生产力): one notebook per figure and table, in report order.

# A notebook's parameters are written in this file, so editing it reruns this part's notebooks.
THIS_MK := $(lastword $(MAKEFILE_LIST))

# The claims ledger: tables that say whether a claim holds take the verdict from the claims audit.
CLAIMS_LEDGER := data/claims/claims_ledger.csv

PAPER_A_CLASSES := data/raw/paper_a_classification.csv
PAPER_A_FIG2_NODES := data/raw/paper_a_fig2_nodes.csv
PAPER_A_FIG2_EDGES := data/raw/paper_a_fig2_edges.csv

$(NB)/fig_a1_new_employees.ipynb $(FIG)/fig_a1_new_employees.png $(TAB)/fig_a1_new_employees.csv $(TAB)/fig_a1_new_employees_stocks.csv &: notebooks/fig_a1_new_employees.py $(CLAIMS_LEDGER) $(MOFCOM) $(PAPER_A) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/fig_a1_new_employees.ipynb -p ledger $(CLAIMS_LEDGER) -p mofcom $(MOFCOM) -p values $(PAPER_A) \
		-p figure $(FIG)/fig_a1_new_employees.png -p hires_table $(TAB)/fig_a1_new_employees.csv \
		-p stocks_table $(TAB)/fig_a1_new_employees_stocks.csv
NOTEBOOKS += $(NB)/fig_a1_new_employees.ipynb

$(NB)/fig_a2_business_model.ipynb $(FIG)/fig_a2_business_model.png $(TAB)/fig_a2_business_model.csv &: notebooks/fig_a2_business_model.py $(PAPER_A_FIG2_NODES) $(PAPER_A_FIG2_EDGES) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/fig_a2_business_model.ipynb -p nodes $(PAPER_A_FIG2_NODES) -p edges $(PAPER_A_FIG2_EDGES) \
		-p figure $(FIG)/fig_a2_business_model.png -p table $(TAB)/fig_a2_business_model.csv
NOTEBOOKS += $(NB)/fig_a2_business_model.ipynb

$(NB)/tab_a1_talent.ipynb $(TAB)/tab_a1_talent.csv &: notebooks/tab_a1_talent.py $(CLAIMS_LEDGER) $(PAPER_A) $(MOFCOM) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/tab_a1_talent.ipynb -p ledger $(CLAIMS_LEDGER) -p values $(PAPER_A) -p mofcom $(MOFCOM) -p table $(TAB)/tab_a1_talent.csv
NOTEBOOKS += $(NB)/tab_a1_talent.ipynb

$(NB)/tab_a2_productivity.ipynb $(TAB)/tab_a2_productivity.csv &: notebooks/tab_a2_productivity.py $(CLAIMS_LEDGER) $(PAPER_A) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/tab_a2_productivity.ipynb -p ledger $(CLAIMS_LEDGER) -p values $(PAPER_A) -p table $(TAB)/tab_a2_productivity.csv
NOTEBOOKS += $(NB)/tab_a2_productivity.ipynb

$(NB)/tab_a3_classification.ipynb $(TAB)/tab_a3_classification.csv &: notebooks/tab_a3_classification.py $(PAPER_A_CLASSES) $(PAPER_A) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/tab_a3_classification.ipynb -p classification $(PAPER_A_CLASSES) -p values $(PAPER_A) \
		-p table $(TAB)/tab_a3_classification.csv
NOTEBOOKS += $(NB)/tab_a3_classification.ipynb

$(NB)/tab_a4_other_claims.ipynb $(TAB)/tab_a4_other_claims.csv &: notebooks/tab_a4_other_claims.py $(PAPER_A) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/tab_a4_other_claims.ipynb -p values $(PAPER_A) -p table $(TAB)/tab_a4_other_claims.csv
NOTEBOOKS += $(NB)/tab_a4_other_claims.ipynb

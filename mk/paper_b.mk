# Paper B (Wenzhou offshore service outsourcing): one notebook per figure and table, in report order.

# A notebook's parameters are written in this file, so editing it reruns this part's notebooks.
THIS_MK := $(lastword $(MAKEFILE_LIST))

PAPER_B_PARKS := data/raw/paper_b_parks_platforms.csv

$(NB)/fig_b1_wenzhou_execution.ipynb $(FIG)/fig_b1_wenzhou_execution.png &: notebooks/fig_b1_wenzhou_execution.py $(CLAIMS_LEDGER) $(PAPER_B) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/fig_b1_wenzhou_execution.ipynb -p ledger $(CLAIMS_LEDGER) -p values $(PAPER_B) -p figure $(FIG)/fig_b1_wenzhou_execution.png
NOTEBOOKS += $(NB)/fig_b1_wenzhou_execution.ipynb

$(NB)/fig_b2_parks_platforms.ipynb $(FIG)/fig_b2_parks_platforms.png $(TAB)/fig_b2_parks_platforms.csv &: notebooks/fig_b2_parks_platforms.py $(PAPER_B) $(PAPER_B_PARKS) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/fig_b2_parks_platforms.ipynb -p values $(PAPER_B) -p parks $(PAPER_B_PARKS) \
		-p figure $(FIG)/fig_b2_parks_platforms.png -p table $(TAB)/fig_b2_parks_platforms.csv
NOTEBOOKS += $(NB)/fig_b2_parks_platforms.ipynb

$(NB)/tab_b1_execution_series.ipynb $(TAB)/tab_b1_execution_series.csv $(TAB)/tab_b1_execution_series_summary.csv &: notebooks/tab_b1_execution_series.py $(CLAIMS_LEDGER) $(PAPER_B) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/tab_b1_execution_series.ipynb -p ledger $(CLAIMS_LEDGER) -p values $(PAPER_B) -p table $(TAB)/tab_b1_execution_series.csv \
		-p summary_table $(TAB)/tab_b1_execution_series_summary.csv
NOTEBOOKS += $(NB)/tab_b1_execution_series.ipynb

$(NB)/tab_b2_business_mix.ipynb $(TAB)/tab_b2_business_mix.csv $(TAB)/tab_b2_business_mix_summary.csv &: notebooks/tab_b2_business_mix.py $(CLAIMS_LEDGER) $(PAPER_B) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/tab_b2_business_mix.ipynb -p ledger $(CLAIMS_LEDGER) -p values $(PAPER_B) -p table $(TAB)/tab_b2_business_mix.csv \
		-p summary_table $(TAB)/tab_b2_business_mix_summary.csv
NOTEBOOKS += $(NB)/tab_b2_business_mix.ipynb

$(NB)/tab_b3_concentration.ipynb $(TAB)/tab_b3_concentration.csv &: notebooks/tab_b3_concentration.py $(CLAIMS_LEDGER) $(PAPER_B) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/tab_b3_concentration.ipynb -p ledger $(CLAIMS_LEDGER) -p values $(PAPER_B) -p table $(TAB)/tab_b3_concentration.csv
NOTEBOOKS += $(NB)/tab_b3_concentration.ipynb

$(NB)/tab_b4_zhejiang.ipynb $(TAB)/tab_b4_zhejiang.csv &: notebooks/tab_b4_zhejiang.py $(CLAIMS_LEDGER) $(PAPER_B) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/tab_b4_zhejiang.ipynb -p ledger $(CLAIMS_LEDGER) -p values $(PAPER_B) -p table $(TAB)/tab_b4_zhejiang.csv
NOTEBOOKS += $(NB)/tab_b4_zhejiang.ipynb

$(NB)/tab_b5_markets_context.ipynb $(TAB)/tab_b5_markets_context.csv $(TAB)/tab_b5_markets_context_digital.csv $(TAB)/tab_b5_markets_context_other.csv &: notebooks/tab_b5_markets_context.py $(PAPER_B) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/tab_b5_markets_context.ipynb -p values $(PAPER_B) -p table $(TAB)/tab_b5_markets_context.csv \
		-p digital_table $(TAB)/tab_b5_markets_context_digital.csv -p other_table $(TAB)/tab_b5_markets_context_other.csv
NOTEBOOKS += $(NB)/tab_b5_markets_context.ipynb

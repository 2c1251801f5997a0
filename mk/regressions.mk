# Growth regressions: one parameterised notebook, notebooks/reg_growth.py, runs once per series into
# reports/notebooks/reg_growth_<series>.ipynb with its one-row results in reports/tables/ and its
# figure in reports/figures/; tab_r1 then combines the per-series results into one table.
# The series ids are those of outsourcing_repro.series.CATALOG (tests/test_series.py checks they match).

# A notebook's parameters are written in this file, so editing it reruns this part's notebooks.
THIS_MK := $(lastword $(MAKEFILE_LIST))

# Each series with the one data file it is built from, so a series reruns only when its own data change.
REG_SERIES_PAPER_B := wenzhou_offshore_execution
REG_SERIES_PAPER_A := paper_a_contract_per_employee
REG_SERIES_MOFCOM := national_contract_cny national_execution_cny national_offshore_contract_cny \
    national_offshore_execution_cny national_contract_usd national_execution_usd \
    national_offshore_contract_usd national_offshore_execution_usd \
    national_employment_stock national_new_hires
REG_SERIES := $(REG_SERIES_PAPER_B) $(REG_SERIES_PAPER_A) $(REG_SERIES_MOFCOM)

reg_data = $(if $(filter $(1),$(REG_SERIES_PAPER_B)),$(PAPER_B),$(if $(filter $(1),$(REG_SERIES_PAPER_A)),$(PAPER_A),$(MOFCOM)))

define REG_GROWTH_RULE
$(NB)/reg_growth_$(1).ipynb $(TAB)/reg_growth_$(1).csv $(FIG)/reg_growth_$(1).png &: notebooks/reg_growth.py $(call reg_data,$(1)) $(NB_CODE) $(THIS_MK) $(SETUP)
	$$(RUN) $$< $(NB)/reg_growth_$(1).ipynb -p series $(1) \
	    -p paper_a_values $(PAPER_A) -p paper_b_values $(PAPER_B) -p mofcom $(MOFCOM) \
	    -p results $(TAB)/reg_growth_$(1).csv -p figure $(FIG)/reg_growth_$(1).png \
	    -p notebook_name reg_growth_$(1)
endef
$(foreach s,$(REG_SERIES),$(eval $(call REG_GROWTH_RULE,$(s))))

REG_RESULTS := $(foreach s,$(REG_SERIES),$(TAB)/reg_growth_$(s).csv)
comma := ,
empty :=
space := $(empty) $(empty)

$(NB)/tab_r1_growth_regressions.ipynb $(TAB)/tab_r1_growth_regressions.csv $(TAB)/tab_r1_growth_regressions.html &: notebooks/tab_r1_growth_regressions.py $(REG_RESULTS) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/tab_r1_growth_regressions.ipynb \
	    -p results $(subst $(space),$(comma),$(strip $(REG_RESULTS))) \
	    -p table $(TAB)/tab_r1_growth_regressions.csv -p table_html $(TAB)/tab_r1_growth_regressions.html

# Report order: the combined table first, then one section per series.
NOTEBOOKS += $(NB)/tab_r1_growth_regressions.ipynb $(foreach s,$(REG_SERIES),$(NB)/reg_growth_$(s).ipynb)

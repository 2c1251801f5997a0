/*
 * outsourcing-repro-lab: a .py file directly in the project's notebooks/ folder opens as a notebook
 * (jupytext's "Jupytext Notebook" viewer), by double-click and by /lab/tree/notebooks/<name>.py;
 * every other .py (the package in src/) keeps JupyterLab's own default, the text editor.
 *
 * Why code and not a setting: JupyterLab chooses a document's viewer from its file *name* only
 * (DocumentRegistry.preferredWidgetFactories looks up file types by basename; the "defaultViewers"
 * setting maps a file type to a viewer), so a setting can send every .py to the notebook viewer or
 * none (jupytext issue #1371). This plugin puts the notebook viewer first for paths in that folder,
 * which both the file browser (openOrReveal -> defaultWidgetFactory) and the URL route
 * (docmanager:open) ask for; "Open With" still lists every viewer.
 *
 * Hand-written, no build step: this file is the container JupyterLab loads for a prebuilt
 * ("federated") extension, window._JUPYTERLAB[name] with init() and get(), the way JupyterLab
 * loads any prebuilt extension (see jupyterlab's dev_mode/bootstrap.js). The plugin needs no
 * shared module, only the application object that every plugin receives.
 */
(function () {
  'use strict';

  var NAME = 'outsourcing-repro-lab';
  var VIEWER = 'Jupytext Notebook';

  function notebooksDir() {
    // Set by jupyter/jupyter_server_config.py from the package's config (tornado page_config_data).
    var el = document.getElementById('jupyter-config-data');
    var data = el ? JSON.parse(el.textContent || '{}') : {};
    return (data.outsourcingReproNotebooksDir || '').replace(/^\/+|\/+$/g, '');
  }

  var plugin = {
    id: NAME + ':notebooks-open-as-notebooks',
    description: 'Open the .py files in notebooks/ as notebooks, every other .py as text.',
    autoStart: true,
    activate: function (app) {
      var dir = notebooksDir();
      if (!dir) {
        console.warn(NAME + ': no outsourcingReproNotebooksDir in the page config; doing nothing');
        return;
      }
      var registry = app.docRegistry;
      var original = registry.preferredWidgetFactories.bind(registry);
      var isNotebook = function (path) {
        var local = String(path).replace(/^[^/:]*:/, '').replace(/^\/+/, '');
        var slash = local.lastIndexOf('/');
        return local.slice(0, slash) === dir && /\.py$/.test(local);
      };
      // defaultWidgetFactory(path) is preferredWidgetFactories(path)[0], so this one wrapper serves
      // both the default viewer and the order of "Open With".
      registry.preferredWidgetFactories = function (path) {
        var factories = original(path);
        if (!isNotebook(path)) {
          return factories;
        }
        var viewer = registry.getWidgetFactory(VIEWER);
        if (!viewer) {
          return factories;
        }
        return [viewer].concat(factories.filter(function (f) { return f !== viewer; }));
      };
    }
  };

  var container = {
    init: function () {},
    get: function (module) {
      if (module === './extension') {
        return Promise.resolve(function () { return { __esModule: true, default: [plugin] }; });
      }
      return Promise.reject(new Error(NAME + ': no module ' + module));
    }
  };

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[NAME] = container;
})();

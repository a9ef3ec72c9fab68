// The rule builder: edits a rule's condition tree (nested AND / OR groups, each may be negated) with native form
// controls, and keeps the tree, as JSON, in the form's "conditions" field, which the server validates.
// Loaded as a file (the Content-Security-Policy allows no inline scripts); without it the JSON field is edited.
(function () {
  "use strict";

  var root = document.getElementById("rule-builder");
  var field = document.getElementById("conditions");
  if (root === null || field === null) {
    return;
  }
  var catalogue = JSON.parse(document.getElementById("rule-catalogue").textContent);
  var errors = JSON.parse(document.getElementById("rule-errors").textContent);
  var airportsUrl = root.getAttribute("data-airports-url");
  var fields = {};
  var operatorLabels = {};
  var counter = 0;
  catalogue.fields.forEach(function (f) { fields[f.key] = f; });
  catalogue.operators.forEach(function (op) { operatorLabels[op.key] = op.label; });

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attributes.text;
      } else {
        node.setAttribute(name, attributes[name]);
      }
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function nextId(prefix) {
    counter += 1;
    return prefix + "-" + counter;
  }

  // --- the tree: JSON as the server reads it <-> nodes the builder edits ---

  function fromJson(data, path) {
    if (data !== null && typeof data === "object" && !Array.isArray(data)) {
      if (Array.isArray(data.and) || Array.isArray(data.or)) {
        var op = Array.isArray(data.and) ? "and" : "or";
        var where = path ? path + "." + op : op;
        return {kind: "group", op: op, negate: false, path: path,
                children: data[op].map(function (child, i) { return fromJson(child, where + "[" + i + "]"); })};
      }
      if (Object.prototype.hasOwnProperty.call(data, "not")) {
        var inner = fromJson(data.not, path ? path + ".not" : "not");
        if (inner.kind === "group" && !inner.negate) {
          inner.negate = true;
          inner.path = path;
          return inner;
        }
        return {kind: "group", op: "and", negate: true, path: path, children: [inner]};
      }
    }
    var condition = data || {};
    return {kind: "condition", field: condition.field || "", operator: condition.operator || "",
            value: condition.value, path: path || "condition"};
  }

  function toJson(node) {
    if (node.kind === "condition") {
      return {field: node.field, operator: node.operator, value: node.value === undefined ? null : node.value};
    }
    var group = {};
    group[node.op] = node.children.map(toJson);
    return node.negate ? {not: group} : group;
  }

  var tree;
  try {
    tree = fromJson(JSON.parse(field.value || "{\"and\": []}"), "");
  } catch (problem) {
    return;  // not JSON: the author mends it in the field itself
  }
  if (tree.kind !== "group") {
    tree = {kind: "group", op: "and", negate: false, path: "", children: [tree]};
  }

  function save() {
    field.value = JSON.stringify(toJson(tree));
  }

  // --- values: the widget fits the field's type and the operator ---

  function defaultValue(f, operator) {
    if (operator === "is_empty") {
      return true;
    }
    if (operator === "between") {
      return [null, null];
    }
    if (operator === "in") {
      return [];
    }
    if (f && f.type === "boolean") {
      return true;
    }
    return "";
  }

  function typed(f, text) {
    if (f.type === "number") {
      var number = Number(text);
      return text.trim() === "" || isNaN(number) ? text : number;
    }
    if (f.type === "datetime" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) {
      return text + "Z";
    }
    if (f.type === "country" || f.type === "airport") {
      return text.trim().toUpperCase();
    }
    return text;
  }

  function shown(f, value) {
    if (value === null || value === undefined) {
      return "";
    }
    if (f.type === "datetime" && typeof value === "string") {
      return value.replace(/(Z|[+-]00:00)$/, "").slice(0, 16);
    }
    return String(value);
  }

  var airportList = null;

  function airportPicker() {
    if (airportList === null) {
      airportList = element("datalist", {id: "rule-airports"});
      root.appendChild(airportList);
    }
    return "rule-airports";
  }

  function suggestAirports(input) {
    var text = input.value.split(",").pop().trim();
    if (text.length < 1 || !airportsUrl) {
      return;
    }
    window.fetch(airportsUrl + "?q=" + encodeURIComponent(text), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (found) {
        airportList.textContent = "";
        found.forEach(function (airport) {
          airportList.appendChild(element("option", {value: airport.code, text: airport.label}));
        });
      })
      .catch(function () { /* no suggestions: the author types the code */ });
  }

  function textInput(f, node, label, value, onChange) {
    var input = element("input", {type: "text", "aria-label": label, value: value});
    if (f.type === "number") {
      input.type = "number";
      input.step = "any";
    } else if (f.type === "date") {
      input.type = "date";
    } else if (f.type === "datetime") {
      input.type = "datetime-local";
    } else if (f.type === "country") {
      input.setAttribute("list", "rule-countries");
      input.setAttribute("autocomplete", "off");
    } else if (f.type === "airport") {
      input.setAttribute("list", airportPicker());
      input.setAttribute("autocomplete", "off");
      input.addEventListener("input", function () { suggestAirports(input); });
    }
    input.addEventListener("change", function () { onChange(input.value); save(); });
    return input;
  }

  function choiceSelect(label, options, selected, multiple, onChange) {
    var select = element("select", {"aria-label": label});
    if (multiple) {
      select.multiple = true;
      select.size = Math.min(options.length, 5);
    }
    options.forEach(function (option) {
      var item = element("option", {value: option[0], text: option[1]});
      item.selected = multiple ? selected.indexOf(option[0]) >= 0 : option[0] === selected;
      select.appendChild(item);
    });
    select.addEventListener("change", function () {
      onChange(multiple ? Array.prototype.filter.call(select.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; }) : select.value);
      save();
    });
    return select;
  }

  function valueWidget(node) {
    var f = fields[node.field];
    var box = element("span", {"class": "rb-value"});
    if (!f || !node.operator) {
      return box;
    }
    var label = "Value of condition: " + f.label;
    if (node.operator === "is_empty") {
      box.appendChild(choiceSelect(label, [["true", "yes, it is empty"], ["false", "no, it has a value"]],
                                   String(node.value !== false), false,
                                   function (v) { node.value = v === "true"; }));
    } else if (node.operator === "in_reference_list") {
      var kind = catalogue.reference_kinds[f.type];
      var lists = catalogue.reference_lists.filter(function (list) { return list.kind === kind; })
        .map(function (list) { return [list.name, list.name + " (" + list.size + ")"]; });
      box.appendChild(choiceSelect(label, [["", "choose a list"]].concat(lists), node.value || "", false,
                                   function (v) { node.value = v; }));
    } else if (f.type === "boolean") {
      box.appendChild(choiceSelect(label, [["true", "yes"], ["false", "no"]], String(node.value !== false), false,
                                   function (v) { node.value = v === "true"; }));
    } else if (node.operator === "between") {
      var range = Array.isArray(node.value) && node.value.length === 2 ? node.value : [null, null];
      node.value = range;
      box.appendChild(textInput(f, node, label + ", from", shown(f, range[0]),
                                function (v) { range[0] = typed(f, v); }));
      box.appendChild(element("span", {text: " and "}));
      box.appendChild(textInput(f, node, label + ", to", shown(f, range[1]),
                                function (v) { range[1] = typed(f, v); }));
    } else if (f.choices && (node.operator === "equals" || node.operator === "not_equals")) {
      box.appendChild(choiceSelect(label, [["", "choose"]].concat(f.choices.map(function (c) { return [c, c]; })),
                                   node.value || "", false, function (v) { node.value = v; }));
    } else if (f.choices && node.operator === "in") {
      box.appendChild(choiceSelect(label, f.choices.map(function (c) { return [c, c]; }),
                                   Array.isArray(node.value) ? node.value : [], true,
                                   function (v) { node.value = v; }));
    } else if (node.operator === "in") {
      var items = Array.isArray(node.value) ? node.value : [];
      var input = element("input", {type: "text", "aria-label": label + " (separate values with commas)",
                                    value: items.join(", "), placeholder: "value, value, …"});
      if (f.type === "country") {
        input.setAttribute("list", "rule-countries");
      } else if (f.type === "airport") {
        input.setAttribute("list", airportPicker());
        input.addEventListener("input", function () { suggestAirports(input); });
      }
      input.addEventListener("change", function () {
        node.value = input.value.split(",").map(function (v) { return v.trim(); })
          .filter(function (v) { return v !== ""; }).map(function (v) { return typed(f, v); });
        save();
      });
      box.appendChild(input);
    } else {
      box.appendChild(textInput(f, node, label, shown(f, node.value), function (v) { node.value = typed(f, v); }));
    }
    return box;
  }

  // --- drawing ---

  function fieldSelect(node, number) {
    var select = element("select", {"aria-label": "Field of condition " + number, "class": "rb-field"});
    select.appendChild(element("option", {value: "", text: "choose a field"}));
    var groups = {};
    catalogue.fields.forEach(function (f) {
      if (!groups[f.entity]) {
        groups[f.entity] = element("optgroup", {label: f.entity.replace(/_/g, " ")});
        select.appendChild(groups[f.entity]);
      }
      var option = element("option", {value: f.key, text: f.label, title: f.description});
      option.selected = f.key === node.field;
      groups[f.entity].appendChild(option);
    });
    return select;
  }

  function operatorSelect(node, number) {
    var f = fields[node.field];
    var select = element("select", {"aria-label": "Operator of condition " + number, "class": "rb-operator"});
    (f ? f.operators : []).forEach(function (op) {
      var option = element("option", {value: op, text: operatorLabels[op]});
      option.selected = op === node.operator;
      select.appendChild(option);
    });
    select.disabled = !f;
    return select;
  }

  function button(text, label, action) {
    var b = element("button", {type: "button", "class": "rb-button", text: text, "aria-label": label});
    b.addEventListener("click", action);
    return b;
  }

  function errorOf(node) {
    return node.error ? element("p", {"class": "rb-error", role: "alert", text: node.error}) : null;
  }

  function drawCondition(node, parent, number) {
    var box = element("div", {"class": "rb-condition", role: "group", "aria-label": "Condition " + number});
    if (node.error) {
      box.className += " rb-invalid";
    }
    var fieldChoice = fieldSelect(node, number);
    var operatorChoice = operatorSelect(node, number);
    var value = valueWidget(node);
    fieldChoice.addEventListener("change", function () {
      node.field = fieldChoice.value;
      var f = fields[node.field];
      if (!f || f.operators.indexOf(node.operator) < 0) {
        node.operator = f ? f.operators[0] : "";
      }
      node.value = defaultValue(f, node.operator);
      node.error = null;
      redraw(box, node, parent, number, ".rb-field");
    });
    operatorChoice.addEventListener("change", function () {
      node.operator = operatorChoice.value;
      node.value = defaultValue(fields[node.field], node.operator);
      redraw(box, node, parent, number, ".rb-operator");
    });
    box.appendChild(fieldChoice);
    box.appendChild(operatorChoice);
    box.appendChild(value);
    box.appendChild(button("Remove", "Remove condition " + number, function () { remove(parent, node); }));
    var error = errorOf(node);
    if (error !== null) {
      error.id = nextId("rb-error");
      fieldChoice.setAttribute("aria-describedby", error.id);
      fieldChoice.setAttribute("aria-invalid", "true");
      box.appendChild(error);
    }
    return box;
  }

  function redraw(box, node, parent, number, focus) {
    var fresh = drawCondition(node, parent, number);
    box.parentNode.replaceChild(fresh, box);
    save();
    fresh.querySelector(focus).focus();
  }

  function remove(parent, node) {
    parent.children.splice(parent.children.indexOf(node), 1);
    render(parent);
  }

  function drawGroup(node, parent, numbering) {
    var id = nextId("rb-group");
    var box = element("fieldset", {"class": "rb-group" + (node.negate ? " rb-negated" : "") +
                                            (node.error ? " rb-invalid" : ""), id: id});
    var legend = element("legend", {});
    var title = parent === null ? "Conditions" : "Group " + numbering;
    legend.appendChild(element("span", {text: title + ": "}));
    var opChoice = choiceSelect("Combine " + title.toLowerCase() + " with",
                                [["and", "all of (AND)"], ["or", "any of (OR)"]], node.op, false,
                                function (v) { node.op = v; });
    legend.appendChild(opChoice);
    var negate = element("input", {type: "checkbox", id: id + "-not"});
    negate.checked = node.negate;
    negate.addEventListener("change", function () {
      node.negate = negate.checked;
      box.classList.toggle("rb-negated", node.negate);
      save();
    });
    legend.appendChild(element("label", {"for": id + "-not", "class": "rb-not"}, [negate,
      document.createTextNode(" NOT (none of this may hold)")]));
    box.appendChild(legend);
    var error = errorOf(node);
    if (error !== null) {
      box.appendChild(error);
    }
    var members = element("div", {"class": "rb-members"});
    node.children.forEach(function (child, i) {
      var number = (numbering ? numbering + "." : "") + (i + 1);
      members.appendChild(child.kind === "group" ? drawGroup(child, node, number) : drawCondition(child, node, number));
    });
    if (node.children.length === 0) {
      members.appendChild(element("p", {"class": "hint", text: "No conditions yet: add one."}));
    }
    box.appendChild(members);
    var actions = element("div", {"class": "rb-actions"});
    actions.appendChild(button("Add condition", "Add condition to " + title.toLowerCase(), function () {
      node.children.push({kind: "condition", field: "", operator: "", value: ""});
      render(node, ".rb-field");
    }));
    actions.appendChild(button("Add group", "Add group to " + title.toLowerCase(), function () {
      node.children.push({kind: "group", op: "or", negate: false, children: [
        {kind: "condition", field: "", operator: "", value: ""}]});
      render(node, ".rb-field");
    }));
    if (parent !== null) {
      actions.appendChild(button("Remove group", "Remove " + title.toLowerCase(), function () { remove(parent, node); }));
    }
    box.appendChild(actions);
    node.element = box;
    return box;
  }

  function render(focusGroup, focus) {
    root.textContent = "";
    airportList = null;
    root.appendChild(drawGroup(tree, null, ""));
    if (catalogue.countries) {
      var countries = element("datalist", {id: "rule-countries"});
      catalogue.countries.forEach(function (c) { countries.appendChild(element("option", {value: c[0], text: c[1]})); });
      root.appendChild(countries);
    }
    save();
    if (focusGroup && focusGroup.element) {
      var targets = focusGroup.element.querySelectorAll(focus || ":scope > .rb-actions .rb-button");
      var target = focus ? targets[targets.length - 1] : targets[0];
      if (target) {
        target.focus();
      }
    }
  }

  // Problems the server found, beside the condition or group they are about (paths such as and[0].or[2]).
  function attachErrors(node, byPath) {
    if (node.path !== undefined && byPath[node.path]) {
      node.error = byPath[node.path].join("; ");
      delete byPath[node.path];
    }
    (node.children || []).forEach(function (child) { attachErrors(child, byPath); });
  }

  var byPath = {};
  errors.forEach(function (error) {
    var path = error.path.replace(/\.?(and|or|not)$/, "");
    (byPath[path] = byPath[path] || []).push(error.message);
  });
  attachErrors(tree, byPath);
  Object.keys(byPath).forEach(function (path) {
    tree.error = (tree.error ? tree.error + "; " : "") + byPath[path].join("; ");
  });
  document.getElementById("conditions-json").open = false;
  render(null);
})();

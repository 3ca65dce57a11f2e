// yaml2json.js IN.yml OUT.json: one YAML document (a GitLab CI file) to JSON.
'use strict';
const fs = require('fs');
const yaml = require('js-yaml');
const [, , input, output] = process.argv;
const doc = yaml.load(fs.readFileSync(input, 'utf8'), { filename: input });
fs.writeFileSync(output, JSON.stringify(doc, null, 1));

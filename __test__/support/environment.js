// jest runs each test file in its own VM context, with its own Error classes; errors made by
// the native addon come from Node's main context. Sharing the main context's error classes
// makes `instanceof TypeError` mean in tests what it means in a program.
'use strict';
const { TestEnvironment } = require('jest-environment-node');

class SharedErrorsEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ['Error', 'TypeError', 'RangeError']) this.global[name] = globalThis[name];
  }
}

module.exports = SharedErrorsEnvironment;

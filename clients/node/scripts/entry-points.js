// After tsc: dist/src/*.js and dist/generated/**.js mirror the sources; put the runnable
// programs at the top of dist (node dist/e2e.js) as one-line launchers.
const fs = require('fs');
const path = require('path');

for (const name of ['e2e']) {
  fs.writeFileSync(path.join(__dirname, '..', 'dist', `${name}.js`), `require('./src/${name}.js');\n`);
}

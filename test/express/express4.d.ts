// `express4` is an npm alias of express@4 (a dev dependency, to test both majors); its API is
// typed with the Express types the project has.
declare module 'express4' {
  import express = require('express');
  export = express;
}

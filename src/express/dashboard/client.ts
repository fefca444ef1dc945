/**
 * The dashboard's browser script: vanilla JavaScript, no framework, no external resources. It
 * is kept as strings (four parts by concern) and joined into one strict-mode function scope,
 * served inline under the page's CSP nonce.
 *
 * @internal
 * @module
 */
import { CLIENT_API_JS } from './client-api.js';
import { CLIENT_APP_JS } from './client-app.js';
import { CLIENT_EVENTS_JS } from './client-events.js';
import { CLIENT_RENDER_JS } from './client-render.js';

/** The complete client script. @internal */
export const DASHBOARD_CLIENT_JS = `(() => {
'use strict';
${CLIENT_API_JS}
${CLIENT_RENDER_JS}
${CLIENT_EVENTS_JS}
${CLIENT_APP_JS}
})();`;

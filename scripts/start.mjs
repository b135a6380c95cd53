// `npm start` until the train app exists: the backend report, a user's first "does it work here" check.
import { formatBackendReport, initBackend } from '@zs-sbir/core';

const report = await initBackend();
console.log('zs-sbir environment report');
console.log(formatBackendReport(report));

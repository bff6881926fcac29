// @asyncapi/html-template depends on puppeteer (for PDF output we never use). No browser
// download is possible or wanted here: skip it so `npm ci` works offline.
module.exports = { skipDownload: true };

import { launchBrowser } from '../verify/browser.js';

/**
 * HTML -> PDF with Debian's Chromium (playwright-core page.pdf()): A4, backgrounds printed, page numbers in
 * the footer. The HTML is self-contained (inline CSS and SVG), so nothing is fetched while printing.
 */
export async function renderPdf(html: string, footer: string): Promise<Buffer> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-size:7pt;width:100%;padding:0 16mm;color:#6b7785;display:flex;justify-content:space-between"><span>${footer.replace(/[<>&]/g, '')}</span><span>page <span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
    });
  } finally {
    await browser.close();
  }
}

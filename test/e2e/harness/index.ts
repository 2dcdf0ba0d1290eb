/**
 * Real-VS-Code test harness (code-server 4.100.3 + Debian chromium + playwright-core).
 * Typical UI test:
 *   const s = await startWithExtension();            // packaged .vsix + test/fixtures/workspace
 *   await openFile(s.page, 'src/server.ts');
 *   await squiggles(s.page).first().waitFor();
 *   await screenshot(s.page, 'my-test');
 *   await s.close();                                 // in after()/finally
 */
export * from './codeServer';
export * from './extension';
export * from './fileDialog';
export * from './paths';
export * from './workbench';

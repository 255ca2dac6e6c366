import { expect } from 'vitest'
import { templateReady } from '../support/template-ready.ts'
import { usesTemplate } from './uses-template.ts'

// Before a file that copies the template database is collected, wait for the
// template (built in the background, tests/setup/global-setup.ts): here the
// wait counts against no hook's timeout, as the build did when global setup
// waited for it. Files that need no template start at once.
const testPath = expect.getState().testPath
if (testPath && usesTemplate(testPath)) await templateReady()

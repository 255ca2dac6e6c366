import type { FastifyPluginAsync } from 'fastify'
import ledgerImportRoutes from './ledger-import.routes.ts'

/** Ledger import (台账导入): hazards, disputes and key persons from .xlsx/CSV. Registered under `/api`. */
const ledgerImportFeature: FastifyPluginAsync = async (app) => {
  await app.register(ledgerImportRoutes, { prefix: '/ledger-imports' })
}

export default ledgerImportFeature

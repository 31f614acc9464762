import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { I18nProvider } from './i18n/index.tsx';
import NotFound from './routes/NotFound.tsx';
import Dashboard from './routes/petugas/Dashboard.tsx';
import OfficeLayout from './routes/petugas/Layout.tsx';
import OfficeLogin from './routes/petugas/Login.tsx';
import RecordPage from './routes/petugas/RecordPage.tsx';
import RecordingPage from './routes/petugas/Recording.tsx';
import DocumentsPage from './routes/petugas/Documents.tsx';
import HeadLayout from './routes/pimpinan/Layout.tsx';
import HeadLogin from './routes/pimpinan/Login.tsx';
import SigningPage from './routes/pimpinan/Signing.tsx';
import AccessLogPage from './routes/pimpinan/AccessLog.tsx';
import MessagesPage from './routes/pimpinan/Messages.tsx';
import SubscribePage from './routes/publik/Subscribe.tsx';
import StatusAdminPage from './routes/pimpinan/Status.tsx';
import StatusPage from './routes/publik/StatusPage.tsx';
import ReconciliationPage from './routes/pimpinan/Reconciliation.tsx';
import CitizenCheckPage from './routes/publik/CitizenCheck.tsx';
import Adjudications from './routes/pusat/Adjudications.tsx';
import CentreLayout from './routes/pusat/Layout.tsx';
import CentreLogin from './routes/pusat/Login.tsx';
import TteKeysPage from './routes/pusat/TteKeys.tsx';
import StockPage from './routes/petugas/Stock.tsx';
import PrintersPage from './routes/petugas/Printers.tsx';
import PrintRoomPage from './routes/petugas/PrintRoom.tsx';
import DistributionPage from './routes/petugas/Distribution.tsx';
import PickupPage from './routes/petugas/Pickup.tsx';
import PublicStockPage from './routes/publik/StockPage.tsx';
import ForecastPage from './routes/petugas/Forecast.tsx';
import BlankRequestsPage from './routes/pusat/BlankRequests.tsx';
import BookingPage, { OfferPage } from './routes/warga/Booking.tsx';
import KioskPage from './routes/kiosk/Kiosk.tsx';
import CounterPage from './routes/petugas/Counter.tsx';
import ProvisionalMatchesPage from './routes/petugas/ProvisionalMatches.tsx';
import BoardPage from './routes/layar/Board.tsx';
import FollowPage from './routes/warga/Follow.tsx';
import QueueSettingsPage from './routes/pimpinan/QueueSettings.tsx';
import ApiKeysPage from './routes/pimpinan/ApiKeys.tsx';

// The public verifier carries the QR reader and the credential codec: loaded only when opened.
const VerifierPage = lazy(() => import('./routes/verifikasi/VerifierPage.tsx'));
// The head's print charts carry recharts: loaded only when opened.
const PrintFunnelPage = lazy(() => import('./routes/pimpinan/PrintFunnel.tsx'));
// The queue's statistics carry recharts too.
const QueueStatsPage = lazy(() => import('./routes/pimpinan/QueueStats.tsx'));

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<Navigate to="/petugas" replace />} />
      <Route path="/petugas/masuk" element={<OfficeLogin />} />
      <Route path="/petugas" element={<OfficeLayout />}>
        <Route index element={<Dashboard />} />
        <Route path="rekam" element={<RecordingPage />} />
        <Route path="rekaman/:id" element={<RecordPage />} />
        <Route path="dokumen" element={<DocumentsPage />} />
        <Route path="stok" element={<StockPage />} />
        <Route path="printer" element={<PrintersPage />} />
        <Route path="cetak" element={<PrintRoomPage />} />
        <Route path="distribusi" element={<DistributionPage />} />
        <Route path="pengambilan" element={<PickupPage />} />
        <Route path="perkiraan" element={<ForecastPage />} />
        <Route path="loket" element={<CounterPage />} />
        <Route path="kemiripan" element={<ProvisionalMatchesPage />} />
      </Route>
      <Route path="/pimpinan/masuk" element={<HeadLogin />} />
      <Route path="/pimpinan" element={<HeadLayout />}>
        <Route index element={<SigningPage />} />
        <Route path="akses" element={<AccessLogPage />} />
        <Route path="pesan" element={<MessagesPage />} />
        <Route path="status" element={<StatusAdminPage />} />
        <Route path="rekonsiliasi" element={<ReconciliationPage />} />
        <Route
          path="cetak"
          element={
            <Suspense fallback={<p className="muted">…</p>}>
              <PrintFunnelPage />
            </Suspense>
          }
        />
        <Route
          path="antrean"
          element={
            <Suspense fallback={<p className="muted">…</p>}>
              <QueueStatsPage />
            </Suspense>
          }
        />
        <Route path="antrean/pengaturan" element={<QueueSettingsPage />} />
        <Route path="kunci-api" element={<ApiKeysPage />} />
      </Route>
      <Route path="/pusat/masuk" element={<CentreLogin />} />
      <Route path="/pusat" element={<CentreLayout />}>
        <Route index element={<Navigate to="/pusat/adjudikasi" replace />} />
        <Route path="adjudikasi" element={<Adjudications />} />
        <Route path="tte" element={<TteKeysPage />} />
        <Route path="blangko" element={<BlankRequestsPage />} />
      </Route>
      <Route
        path="/verifikasi"
        element={
          <Suspense fallback={<p className="page">…</p>}>
            <VerifierPage />
          </Suspense>
        }
      />
      <Route path="/stok" element={<PublicStockPage />} />
      <Route path="/warga" element={<CitizenCheckPage />} />
      <Route path="/warga/status" element={<CitizenCheckPage />} />
      <Route path="/warga/antrean" element={<BookingPage />} />
      <Route path="/warga/pindah/:token" element={<OfferPage />} />
      <Route path="/kiosk" element={<KioskPage />} />
      <Route path="/layar" element={<BoardPage />} />
      <Route path="/antrean/:id" element={<FollowPage />} />
      <Route path="/status" element={<StatusPage />} />
      <Route path="/langganan" element={<SubscribePage />} />
      <Route path="/l/:token" element={<SubscribePage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

export default function App() {
  return (
    <I18nProvider>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </I18nProvider>
  );
}

"""Type into a workbook's cells in LibreOffice, as a planner would, and save it (test helper).

Run with a Python that has LibreOffice's ``uno`` module (Debian: python3-uno, /usr/bin/python3):

    python3 tests/lo_type.py IN.xlsx OUT.xlsx 'Judgements!E5=1/3' 'Data!D7=9.8%' ...

Each value goes in through the same command as typing into the cell and pressing Enter
(``.uno:EnterString``), so LibreOffice applies its own input recognition: a cell formatted as
text keeps "1/3", a General cell turns it into a date, "9.8%" becomes 0.098 formatted as a
percentage. The file is saved as .xlsx by LibreOffice's own filter. A private profile keeps
this instance apart from any other LibreOffice running at the same time.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def main(argv: list[str]) -> None:
    import uno  # LibreOffice's bridge: only in the interpreter that runs this script
    from com.sun.star.beans import PropertyValue

    def props(**kw):
        out = []
        for key, value in kw.items():
            p = PropertyValue()
            p.Name, p.Value = key, value
            out.append(p)
        return tuple(out)

    dst, edits = os.path.abspath(argv[1]), argv[2:]
    profile = tempfile.mkdtemp(prefix="mcda-lo-profile-")
    src = os.path.join(profile, "input.xlsx")  # a copy: LibreOffice's lock file stays in the profile folder
    shutil.copyfile(argv[0], src)
    pipe = f"mcda_lo_type_{os.getpid()}"
    office = subprocess.Popen([os.environ.get("SOFFICE", "soffice"), "--headless", "--invisible", "--nologo",
                               "--norestore", f"-env:UserInstallation=file://{profile}",
                               f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(600):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.1)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, props(Hidden=True))
        if doc is None:
            raise SystemExit(f"LibreOffice could not open {argv[0]}")
        controller = doc.getCurrentController()
        dispatcher = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        for edit in edits:
            ref, typed = edit.split("=", 1)
            sheet, cell = ref.split("!")
            controller.setActiveSheet(doc.Sheets.getByName(sheet))
            dispatcher.executeDispatch(controller.getFrame(), ".uno:GoToCell", "", 0, props(ToPoint=cell))
            dispatcher.executeDispatch(controller.getFrame(), ".uno:EnterString", "", 0, props(StringName=typed))
        doc.storeToURL(uno.systemPathToFileUrl(dst), props(FilterName="Calc MS Excel 2007 XML", Overwrite=True))
        try:
            doc.close(True)
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge may drop as the office quits; the file is stored
            pass
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        try:  # soffice is a launcher: end its whole process group (soffice.bin included)
            os.killpg(office.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])

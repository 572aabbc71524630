import Testing
import WOPI

/// Microsoft's published proof-key test vector: discovery keys and signed requests from
/// Office-Online-Test-Tools-and-Documentation, samples/python/proof_keys/tests.py. Its tokens are
/// signed exactly as they appear in the URL.
enum MicrosoftVector {
    enum Expected { case valid, validWithOldKey, invalid }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let expected: Expected
        let token: String
        let ticks: Int64
        let url: String
        let proof: String
        let proofOld: String
        var testDescription: String { name }
    }

    static let modulus = [
        "0HOWUPFFgmSYHbLZZzdWO/HUOr8YNfx5NAl7GUytooHZ7B9QxQKTJpj0NIJ4XEskQW8e4dLzRrPbNOOJ+KpWHttX",
        "z8HoQXkkZV/gYNxaNHJ8/pRXGMZzfVM5vchhx/2C7ULPTrpBsSpmfWQ6ShaVoQzfThFUd0MsBvIN7HVtqzPx9jbS",
        "V04wAqyNjcro7F3iu9w7AEsMejHbFlWoN+J05dP5ixryF7+2U5RVmjMt7/dYUdCoiXvCMt2CaVr0XEG6udHU4iDK",
        "VKZjmUBc7cTWRzhqEL7lZ1yQfylp38Nd2xxVJ0sSU7OkC1bBDlePcYGaF3JjJgsmp/H5BNnlW9gSxQ==",
    ].joined()
    static let exponent = "AQAB"
    static let value = [
        "BgIAAACkAABSU0ExAAgAAAEAAQDFEthb5dkE+fGnJgsmY3IXmoFxj1cOwVYLpLNTEksnVRzbXcPfaSl/kFxn5b4Q",
        "ajhH1sTtXECZY6ZUyiDi1NG5ukFc9Fppgt0ywnuJqNBRWPfvLTOaVZRTtr8X8hqL+dPldOI3qFUW2zF6DEsAO9y7",
        "4l3s6MqNjawCME5X0jb28TOrbXXsDfIGLEN3VBFO3wyhlRZKOmR9ZiqxQbpOz0Ltgv3HYci9OVN9c8YYV5T+fHI0",
        "Wtxg4F9lJHlB6MHPV9seVqr4ieM027NG89LhHm9BJEtceII09JgmkwLFUB/s2YGirUwZewk0efw1GL861PE7Vjdn",
        "2bIdmGSCRfFQlnPQ",
    ].joined()
    static let oldModulus = [
        "u/ppb/da4jeKQ+XzKr69VJTqR7wgQp2jzDIaEPQVzfwod+pc1zvO7cwjNgfzF/KQGkltoOi9KdtMzR0qmX8C5wZI",
        "6wGpS8S4pTFAZPhXg5w4EpyR8fAagrnlOgaVLs0oX5UuBqKndCQyM7Vj5nFd+r53giS0ch7zDW0uB1G+ZWqTZ1Tw",
        "btV6dmlpVuJYeIPonOJgo2iuh455KuS2gvxZKOKR27Uq7W949oM8sqRjvfaVf4xDmyor++98XX0zadnf4pMWfPr3",
        "XE+bCXtB9jIPAxxMrALf5ncNRhnx0Wyf8zfM7Rfq+omp/HxCgusF5MC2/Ffnn7me/628zzioAMy5pQ==",
    ].joined()
    static let oldExponent = "AQAB"
    static let oldValue = [
        "BgIAAACkAABSU0ExAAgAAAEAAQClucwAqDjPvK3/nrmf51f8tsDkBeuCQnz8qYn66hftzDfzn2zR8RlGDXfm3wKs",
        "TBwDDzL2QXsJm09c9/p8FpPi39lpM31dfO/7KyqbQ4x/lfa9Y6SyPIP2eG/tKrXbkeIoWfyCtuQqeY6HrmijYOKc",
        "6IN4WOJWaWl2etVu8FRnk2plvlEHLm0N8x5ytCSCd776XXHmY7UzMiR0p6IGLpVfKM0ulQY65bmCGvDxkZwSOJyD",
        "V/hkQDGluMRLqQHrSAbnAn+ZKh3NTNspveigbUkakPIX8wc2I8ztzjvXXOp3KPzNFfQQGjLMo51CILxH6pRUvb4q",
        "8+VDijfiWvdvafq7",
    ].joined()

    static let cases: [Case] = [
        Case(
            name: "proofCurrent1", expected: .valid,
            token: [
                "yZhdN1qgywcOQWhyEMVpB6NE3pvBksvcLXsrFKXNtBeDTPW%2fu62g2t%2fOCWSlb3jUGaz1zc%2fzOzbNgAredL",
                "dhQI1Q7sPPqUv2owO78olmN74DV%2fv52OZIkBG%2b8jqjwmUobcjXVIC1BG9g%2fynMN0itZklL2x27Z2imCF6x",
                "ELcQUuGdkoXBj%2bI%2bTlKM",
            ].joined(),
            ticks: 635_655_897_610_773_532,
            url: [
                "https://contoso.com/wopi/files/vHxYyRGM8VfmSGwGYDBMIQPzuE+sSC6kw+zWZw2Nyg?access_token=y",
                "ZhdN1qgywcOQWhyEMVpB6NE3pvBksvcLXsrFKXNtBeDTPW%2fu62g2t%2fOCWSlb3jUGaz1zc%2fzOzbNgAredLd",
                "hQI1Q7sPPqUv2owO78olmN74DV%2fv52OZIkBG%2b8jqjwmUobcjXVIC1BG9g%2fynMN0itZklL2x27Z2imCF6xE",
                "LcQUuGdkoXBj%2bI%2bTlKM",
            ].joined(),
            proof: [
                "IflL8OWCOCmws5qnDD5kYMraMGI3o+T+hojoDREbjZSkxbbx7XIS1Av85lohPKjyksocpeVwqEYm9nVWfnq05uhD",
                "NGp2MsNyhPO9unZ6w25Rjs1hDFM0dmvYx8wlQBNZ/CFPaz3inCMaaP4PtU85YepaDccAjNc1gikdy3kSMeG1XZua",
                "DixHvMKzF/60DMfLMBIu5xP4Nt8i8Gi2oZs4REuxi6yxOv2vQJQ5+8Wu2Olm8qZvT4FEIQT9oZAXebn/CxyvyQv+",
                "RVpoU2gb4BreXAdfKthWF67GpJyhr+ibEVDoIIolUvviycyEtjsaEBpOf6Ne/OLRNu98un7WNDzMTQ==",
            ].joined(),
            proofOld: [
                "lWBTpWW8q80WC1eJEH5HMnGka4/LUF7zjUPqBwRMO0JzVcnjICvMP2TZPB2lJfy/4ctIstCN6P1t38NCTTbLWlXu",
                "E+c4jqL9r2HPAdPPcPYiBAE1Evww93GpxVyOVcGADffshQvfaYFCfwL9vrBRstaQuWI0N5QlBCtWbnObF4dFsFWR",
                "RSZVU0X9YcNGhVX1NkVFVfCKG63Q/JkL+TnsJ7zqb7ZQpbS19tYyy4abtlGKWm3Zc1Jq9hPI3XVpoARXEO8cW6lT",
                "932QGdZiNr9aW2c15zTC6WiTxVeu7RW2Y0meX+Sfyrfu7GFb5JXDJAq8ZrUEUWABv1BOhHz5vLYHIA==",
            ].joined()),
        Case(
            name: "proofCurrent2", expected: .valid,
            token: [
                "RLoY%2f3D73%2fjwt6IQqR1wHqCEKDxRf2v0GPDa0ZHTlA6ik1%2fNBHDD6bHCI0BQrvacjNBL8ok%2fZsVPI%2b",
                "eAIA5mHSOUbhW9ohowwD6Ljlwro2n5PkTBh6GEYi2afuCIQ8mjXAUdvEDg3um2GjJKtA%3d%3d",
            ].joined(),
            ticks: 635_655_897_361_394_523,
            url: [
                "https://contoso.com/wopi/files/JIB9h+LJpZWBDwvoIiQ5p3115zJWDecpGF9aCm1vOa5UMllgC7w?acces",
                "s_token=RLoY%2f3D73%2fjwt6IQqR1wHqCEKDxRf2v0GPDa0ZHTlA6ik1%2fNBHDD6bHCI0BQrvacjNBL8ok%2f",
                "ZsVPI%2beAIA5mHSOUbhW9ohowwD6Ljlwro2n5PkTBh6GEYi2afuCIQ8mjXAUdvEDg3um2GjJKtA%3d%3d",
            ].joined(),
            proof: [
                "x0IeSOjUQNH2pvjMPkP4Jotzs5Weeqms4AlPxMQ5CipssUJbyKFjLWnwPg1Ac0XtSTiPD177BmQ1+KtmYvDTWQ1F",
                "mBuvpvKZDSKzXoT6Qj4LCYYQ0TxnN/OT231+qd50sOD8zAxhfXP56qND9tj5xqoHMa+lbuvNCqiOBTZw5f/dklSK",
                "7Wgdx7ST3Dq6S9xxDUfsLC4Tjq+EsvcdSNIWL/W6NRZdyWqlgRgE6X8t/2iyyMypURdOW2Rztc6w/iYhbuh22Ul6",
                "Jfu14KaDo6YkvBr8iHlK4CcQST9i0u044y1Jnh34UK4EPdVRZrvTmeJ/5DFLWOqEwvBlW2bpoYF+9A==",
            ].joined(),
            proofOld: [
                "etYRI9UT6q8jA6PHMMmuGa8NbyIlbTHMHmJZqaCOh2GCpv7um2q7+7oaDFqAV/UP+2N85yZXvZgt9kTOUCwIdggU",
                "QVeJluNCwf1B5NsN/7n2aQF9LnWyYK8kK/3xvQKQrj4n24jk2MnHcX1tk8H/qLxq2DbPzi6ROoSgs2ZK8nmzhSPF",
                "74jnLCrwiwGgnVZV6gIhlAKCcUGtdrT60sgD/wpJGQQ0M59VDQhf1aDj5bUotf8RXovY8Gl0lpguvN4+EsEjpbVj",
                "dV9hxWs7c03JDdoz7mzFUWErSly9IzYXNfuFZMnSXpF3lGiprVJvW34Bu2gTo/cLq4LQoABkNCmd4g==",
            ].joined()),
        Case(
            name: "proofOldWithCurrent1", expected: .valid,
            token: [
                "zo7pjAbo%2fyof%2bvtUJn5gXpYcSl7TSSx0TbQGJbWJSll9PTjRRsAbG%2fSNL7FM2n5Ei3jQ8UJsW4RidT5R4t",
                "l1lrCi1%2bhGjxfWAC9pRRl6J3M1wZk9uFkWEeGzbtGByTkaGJkBqgKV%2ffxg%2bvATAhVr6E3LHCBAN91Wi8UG",
            ].joined(),
            ticks: 635_655_898_374_047_766,
            url: [
                "https://contoso.com/wopi/files/RVQ29k8tf3h8cJ/Endy+aAMPy0iGhLatGNrhvKofPY9p2w?access_tok",
                "en=zo7pjAbo%2fyof%2bvtUJn5gXpYcSl7TSSx0TbQGJbWJSll9PTjRRsAbG%2fSNL7FM2n5Ei3jQ8UJsW4RidT5",
                "R4tl1lrCi1%2bhGjxfWAC9pRRl6J3M1wZk9uFkWEeGzbtGByTkaGJkBqgKV%2ffxg%2bvATAhVr6E3LHCBAN91Wi",
                "8UG",
            ].joined(),
            proof: [
                "qQhMjQf9Zohj+S/wvhe+RD6W5TIEqJwDWO3zX9DB85yRe3Ide7EPQDCY9dAZtJpWkIDDzU+8FEwnexF0EhPimfCk",
                "mAyoPpkl2YYvQvvwUK2gdlk3WboWOVszm17p4dSDA0TDMPYsjaAGHKM/nPnTyIMzRyArEzoy2vNkLEP6qdBIuMP2",
                "aCtGsciwMjYifHYRIRenB7H7I+FkwH0UaoTUCoo2PJkyZjy1nK6OwGVWaWG0G8g7Zy+K3bRYV+7cNaM5SB720ezh",
                "mYYJJvsIdRvO7pLsjAuTo4KJhvmVFCipwyCdllVHY83GjuGOsAbHIIohl0Ttq59o0jp4w2wUs8U+mQ==",
            ].joined(),
            proofOld: [
                "PjKR1BTNNnfOrUzfo27cLIhlrbSiOVZaANadDyHxKij/77ZYId+liyXoawvvQQPgnBH1dW6jqpr6fh5ZxZ9IOtaV",
                "+cTSUGnGdRSn7FyKs1ClpApKsZBO/iRBLXw3HDWOLc0jnA2bnxY8yqbEPmH5IBC9taYzxnf7aGjc6AWFHfs6AEQ8",
                "lMio6UoASNzjy3VVNzUX+CK+e5Z45coT0X60mjaJmidGfPdWIfyUw8sSuUwxQa1uNXAd8IceRUL7j5s9/kk7Ewsi",
                "hCw1Y3L+XJGG5zMsGhM9bTK5mvxj30UdmZORouNHdywOfdHaB1iOeKOk+yvWFMW3JsYShWbUhZUOEQ==",
            ].joined()),
        Case(
            name: "proofOldWithCurrent2", expected: .valid,
            token: [
                "2rZvm60097vFfXK01cylEhaYU26CbpsoEdVdk%2fDK2JzBjg185nE69CCklY36u2Thrx9DyLdNZGsbRorX12TK%2",
                "b6XW8ka%2fKSukXl9N3dkOLlZxe%2bTQhhDlcymhYZ%2fnYx282ZrnI8gdIob0nmlYAIaSDRg0ZVx%2f%2bnSV8X",
                "8cHsiMvftBkQQ%2bJgqOU1le3OimjHOiDg%3d%3d",
            ].joined(),
            ticks: 635_655_899_172_093_398,
            url: [
                "https://contoso.com/wopi/files/s/3BPN8mUjJJAQS+aOFtFm6CU+YNpRICIR2M7mQLeQ90BA?access_tok",
                "en=2rZvm60097vFfXK01cylEhaYU26CbpsoEdVdk%2fDK2JzBjg185nE69CCklY36u2Thrx9DyLdNZGsbRorX12T",
                "K%2b6XW8ka%2fKSukXl9N3dkOLlZxe%2bTQhhDlcymhYZ%2fnYx282ZrnI8gdIob0nmlYAIaSDRg0ZVx%2f%2bnS",
                "V8X8cHsiMvftBkQQ%2bJgqOU1le3OimjHOiDg%3d%3d",
            ].joined(),
            proof: [
                "nLwR4nbFq8F/RLuAQ0Yby/avSJcpktZh+JlWonkXuVunTw+BZ+F84c3i1+0o7QoPQRkYmy/HEYhFoYVghkhQJzFX",
                "f98sYxb52SvDz/pl3G/gTgCcdcqkfRSMtaslkRX1VKC3YX42ksIL0LzM4wiCOJfT70i+2Yr5EQRWi6b2JELrAqPu",
                "NkxpuUUZ3DtEXsO9r6a4WkEwJesmqcqaQpMUvQ6cAkShgY7p0gAQeL//GG6wSpDaaA3QqKBcmBgzAatCaqg9NXiP",
                "jviZdoHgnbIRjBEhtH/WG00py/tsGMoIh6R9VfnC4jEWWymB5mIiXxW1gBuL63QvQqiL1S8FQ2Xo+g==",
            ].joined(),
            proofOld: [
                "M7R/iGyWInpWKl1+aAPuB2yVAwWaHTi504c87V0p35PzDyTh+K6fn20ygKmxf9suN9pq+/rMtUXhvM/zCyam0dZF",
                "uWpFOI22U0AjQxIJ4ZBH+zT+e/QeNmS7w4ctxUnDJ0zGsJ/DxaC0/DAkiIMOfXgb8FMPA/Z/HY+e1C6rRsoMXy0X",
                "GoTwzIDiI6wzPVr6FJpkktwO+eCNMyxnAODhlK+nubIhvmVEzWtenMXX8a2eJ3mFquNC7Le6shiUxZA03Mgqknwj",
                "asNaGPrdpJYjxCwzH3LnHPOHxVY2HcjjTQTNHO8HEPCoSw9bi5a7XFS2loQM/tm0WknBe9+q4fpMMw==",
            ].joined()),
        Case(
            name: "proofWithOld1", expected: .validWithOldKey,
            token: [
                "pbocsujrb9BafFujWh%2fuh7Y6S5nBnonddEzDzV0zEFrBwhiu5lzjXRezXDC9N4acvJeGVB5CWAcxPz6cJ6FzJm",
                "wA4ZgGP6FaV%2b6CDkJYID3FJhHFrbw8f2kRfaceRjV1PzXEvFXulnz2K%2fwwv0rF2B4A1wGQrnmwxGIv9cL5PB",
                "C4",
            ].joined(),
            ticks: 635_655_898_062_751_632,
            url: [
                "https://contoso.com/wopi/files/DJNj59eQlM6BvwzAHkykiB1vNOWRuxT487+guv3v7HexfA?access_tok",
                "en=pbocsujrb9BafFujWh%2fuh7Y6S5nBnonddEzDzV0zEFrBwhiu5lzjXRezXDC9N4acvJeGVB5CWAcxPz6cJ6F",
                "zJmwA4ZgGP6FaV%2b6CDkJYID3FJhHFrbw8f2kRfaceRjV1PzXEvFXulnz2K%2fwwv0rF2B4A1wGQrnmwxGIv9cL",
                "5PBC4",
            ].joined(),
            proof: [
                "qF15pAAnOATqpUTLHIS/Z5K7OYFVjWcgKGbHPa0eHRayXsb6JKTelGQhvs74gEFgg1mIgcCORwAtMzLmEFmOHgrd",
                "vkGvRzT3jtVVtwkxEhQt8aQL20N0Nwn4wNah0HeBHskdvmA1G/qcaFp8uTgHpRYFoBaSHEP3AZVNFg5y2jyYR34n",
                "Nj359gktc2ZyLel3J3j7XtyjpRPHvvYVQfh7RsArLQ0VGp8sL4/BDHdSsUyJ8FXe67TSrz6TMZPwhEUR8dYHYek9",
                "qbQjC+wxPpo3G/yusucm1gHo0BjW/l36cI8FRmNs1Fqaeppxqu31FhR8dEl7w5dwefa9wOUKcChF6A==",
            ].joined(),
            proofOld: [
                "KmYzHJ9tu4SXfoiWzOkUIc0Bh8H3eJrA3OnDSbu2hT68EuLTp2vmvvFcHyHIiO8DuKj7u13MxkpuUER6VSIJp3nY",
                "fm91uEE/3g61V3SzaeRXdnkcKUa5x+ulKViECL2n4mpHzNnymxojFW5Y4lKUU4qEGzjE71K1DSFTU/CBkdqycsuy",
                "/Oct8G4GhA3O4MynlCf64B9LIhlWe4G+hxZgxIO0pq7w/1SH27nvScWiljVqgOAKr0Oidk/7sEfyBcOlerLgS/A0",
                "0nJYYJk23DjrKGTKz1YY0CMEsROJCMiW11caxr0aKseOYlfmb6K1RXxtmiDpJ2T4y8jintjEdzEWDA==",
            ].joined()),
        Case(
            name: "proofWithOld2", expected: .validWithOldKey,
            token: [
                "%2foBUJRjT2EVSVaB0Bjl2BCC7bXkN674bwppkzj2H9Elj2G%2bVGl06EzVgv62BqIW17gZZUweK%2fBPCOWN%2b",
                "bwoHy2BWES7J4OrDgFpErCsRmRkUr982LaFC2Nxb0%2bH6u6MrWfRMK5dX6w0cltOtRU%2fnsJ9JasAq0J2%2fEz",
                "hRbQwIyMQ%3d",
            ].joined(),
            ticks: 635_655_898_147_049_273,
            url: [
                "https://contoso.com/wopi/files/UzfEboK8w9Eal86Vk4xzIkGwUeMAiFaNF14FfQETzQ72LPw?access_to",
                "ken=%2foBUJRjT2EVSVaB0Bjl2BCC7bXkN674bwppkzj2H9Elj2G%2bVGl06EzVgv62BqIW17gZZUweK%2fBPCOW",
                "N%2bbwoHy2BWES7J4OrDgFpErCsRmRkUr982LaFC2Nxb0%2bH6u6MrWfRMK5dX6w0cltOtRU%2fnsJ9JasAq0J2%",
                "2fEzhRbQwIyMQ%3d",
            ].joined(),
            proof: [
                "egEcu5FlU9q+u+d5WQ/Z1nYbttR+0iWsLh2BgiyzAq93sQFyvQ5XSCW5i/V7rt9HDewnmvIXsak5ayeoX2aDNgsV",
                "M8gSI533tO9dv/33vBM6MAzNLXP3v5rNI/TaTXcfm4Q1bIoE5RFVZUSPH73B3p1Oon0Hhhd1CysFGv6ue00CT1Dg",
                "pu/w5cVElQxZmWmguD5hEFgmg9IGKuSJ1CdVeJLcTbdKWhJnTl/G4+SpXfWBnvTBXSzLK+PdtfVCxh/bPO/FJNRW",
                "NAg+UgdVAXnLN79faiioG27lXGVrodpVgW8qdANvDkjQbn7z7jXmQmv8ksVQgHfZel963NXRty5pDg==",
            ].joined(),
            proofOld: [
                "AQUuboqy0JFnMgWfaz8o6V3YDCd6fwQlmkM5cNxCK1ikLK03W4R3xjazBevNja70i3y0JYZ3GvTlJy4ZsEfYf+DR",
                "hfzgSuxExpTvNB5RMUvi/kNRTlrMNm6JQrLr2rTY5A+FvQ8YErnKSl5gqh9vb4b47sRdQNvYL5hiVI+Qd4AGAwN9",
                "dSq/IJo3jHtivPSGMEfuqozoX3/GQEYfRf5dv58Rjeo5XRiDvuSDhPOacdoL/DFc/ksC0u9vN4qmoTSvt313p/Fh",
                "FZ9T3NZYi/dv63XP8DJLWs3HMauzGiKFbvKaxDYb2K2llM1CRM2PbKproARMUR6oYYzwNKtg/Q7qIw==",
            ].joined()),
        Case(
            name: "invalid1", expected: .invalid,
            token: [
                "7DHGrfxYtgXxfaXF%2benHF3PTGMrgNlYktkbQB8q%2fn2aQwzYQ6qTmqNJRnJm5QIMXS7WbIxMy0LXaova2h687",
                "Md4%2bNTazty3P7HD3j5q9anbCuLsUJHtSXfKANUetLyAjFWq6egtMZJSHzDajO0EaHTeA9M7zJg1j69dEMoLmIb",
                "xP03kwAvBrdVQmjFdFryKw",
            ].joined(),
            ticks: 635_655_899_260_461_032,
            url: [
                "https://contoso.com/wopi/files/Dy07US/uXVeOMwgyEqGqeVNnyOoaRxR+es2atR08tZPMatf0gf0?acces",
                "s_token=7DHGrfxYtgXxfaXF%2benHF3PTGMrgNlYktkbQB8q%2fn2aQwzYQ6qTmqNJRnJm5QIMXS7WbIxMy0LXa",
                "ova2h687Md4%2bNTazty3P7HD3j5q9anbCuLsUJHtSXfKANUetLyAjFWq6egtMZJSHzDajO0EaHTeA9M7zJg1j69",
                "dEMoLmIbxP03kwAvBrdVQmjFdFryKw",
            ].joined(),
            proof: [
                "Y/wVmPuvWJ5Q/Gl/a5mCkTrCKbfHWYiMG6cxmJgD+M/yYFzTsfcgbK2IRAlCR2eqGx3a5wh5bQzlC6Y/sKo2IE9I",
                "rz/NHFpV55zYfdwDi5ccwXSd34jWVUgkM3uL1r6KVmHcQH/ew10p54FVatXatuGp2Y+cq9BScYV1a45U8fs9zYoZ",
                "cTAYvdWeYXmJbRGMOLLxab3fOiulPmbw+gOqpYPbuInc0yut6eGxAUmY1ENxpN7nbUqI3LbJvmE3PuX8Ifgg3RCs",
                "aFJEqC6JR36MjG+VqoKaFI6hh/ZWLR4y7FBarSmQBr2VlAHrcWCJIMXoOOKaHdsDfNCb3A24LFvdAQ==",
            ].joined(),
            proofOld: [
                "Pdbk1FoAB4zhxaDptfVOwTCmrNgWO6zdokoI3VYO8eshE9nJR1Rzr9K2666za29IfT050jJX0EBanIXAawL4rFA6",
                "swPHYQAzf3pWJqwvqIbaLYvi4104IBWhm9XdZ7C1jDUmG8DgwbKrXZfg7xxZ/hzPlwEp5Y9ZijD/ReAgRs0Va8/y",
                "tWc3AJ+121Q1Ss9U8vD08K5+wg1PVYyNa2YGBpVJbt2ZSt8dvuciWZujFDTzgLvRr6w17kg6+jkiwJyz2ZIL6yty",
                "iUE1oJzsbslIZN3yGHEcmXZZ8Xz5q8fzrLUVmRx1kX6FE2QzRe4+6Q+qNeI8Ct7dj7JBBdbK2Jq+6A==",
            ].joined()),
        Case(
            name: "invalid2", expected: .invalid,
            token: [
                "itKqYThsIRPrrctbu%2bh7%2fMcYvNZiVKc5Un50ZqjKtvhVwz0XcObcEVm5rghR4PmrUG0P28QnQTYrcQ65%2bL",
                "trIfbTBferY4zhPKt9qKaf6HKEyRU7utszLoIG7P7XIhmdTo0RftsCAO3gLp4ZqZiQi4icNS6mMGYboNZ1pHaNCR",
                "mR31oZjmqWgcknWow8",
            ].joined(),
            ticks: 635_655_897_692_506_269,
            url: [
                "https://contoso.com/wopi/files/6XZhdjvt6/cdJvXdBI1bdlIkhIjJPnb9HgWzZX7V2d8?access_token=",
                "itKqYThsIRPrrctbu%2bh7%2fMcYvNZiVKc5Un50ZqjKtvhVwz0XcObcEVm5rghR4PmrUG0P28QnQTYrcQ65%2bL",
                "trIfbTBferY4zhPKt9qKaf6HKEyRU7utszLoIG7P7XIhmdTo0RftsCAO3gLp4ZqZiQi4icNS6mMGYboNZ1pHaNCR",
                "mR31oZjmqWgcknWow8",
            ].joined(),
            proof: [
                "Bu+myEy45g0hyKJycD7BYoDH+s10yvuH79Iq3OLz4w/o7gT8orKRrZ4KggJUWMzRPPSgg+CqEf6zdNm6kFrxf/zX",
                "CXTqa/bEzmJPNBby+r0jlyz2KFsOkxJ/mzVMKJltG0le56NJim21ZU4AwN0KiB6TZ56ruu/ma014proZWJt/H0qy",
                "e/pNz5ZyYdyc1khgzKf/8o6sCgh6+VEZx93BjAUyMJr6OS9nYq1B8XGei/sE4xdgbrIGW0Jwjl2hxqBQTn1VL0jy",
                "ljbjuG+vy83QaeBSB4TGLljHZFgYp6ARCX7v3NHO0MicJtTpLdpsB9dlLkbms/BcJd1gK7m5dDJK1A==",
            ].joined(),
            proofOld: [
                "CDU9l+cyr82vrUnyhdTh1P4jDwL82c//XrTWU/rPeTyB9Ko6z2aNCs893GEB3jICY7mDZ4t0sA5z/lpN83UyfH1u",
                "VqnEB92zCQsJTkXMdNG9dsK64G6RxIVbmhJkV5xiJvERCRnJJTcQg4ymeXQ3cuXAcN9XhStK8FCxBhxGMJsmlY2t",
                "ahxdTEIHXHVagvdyB1UY0V1rv+OAOnCGaTs0yyBA0Mo5nmTSNF8VnYmqsmbXyyDPJJTsqallyJPxvdrLPeiBq1JH",
                "Mr3b8dgel1jfweDR4mD9pHn3O9eaHN8b6xlLc+dIpwvcflzyhhEL5JKEUtO6EKbfakZTUeS86BuBZA==",
            ].joined()),
    ]
}

/// Produced by the validator runner itself: keys from `wopivalidate.py --gen-proof-keys`, request
/// signed with its `proof_bytes`/`rsa_sign_sha256` the way `--proof-keys` signs a CheckFileInfo
/// (raw token, URL with the token UrlKeyValueEncode-d, `access_token_ttl` appended).
enum ValidatorFixture {
    static let modulus = [
        "x2v60T8ZIMZuCaPDPK8N+QRUGcZb0NdImWTBHcab3xqWQ+Ibs4A/4tXbdniw/NqbzJS6dcc8mJdvT2NxeDMuAvXm",
        "+Z9IXttafaEoTK8rEQ9W58hflDiZ263z3TuJxnv2z82IrOL6Bm8UYs8H92yu8HOto9ONEJpUm/3kyhCh+Xj0LhIM",
        "jInobpXcpMv6q73FspmbxlOt/0uO3dpL6t7E10BxScSIr3xWaXbd+j+yxfoKllmauH0QBAjvfZWX+GUi6RMn9R/Y",
        "z/9P55JrK23+RWfucjsuNKerbsrdXsLqs8LS4hRIRgiCw6jMdM8Fn0QpvGGzRnMMIoOeAIoAEmPj4Q==",
    ].joined()
    static let exponent = "AQAB"
    static let value = [
        "BgIAAACkAABSU0ExAAgAAAEAAQDh42MSAIoAnoMiDHNGs2G8KUSfBc90zKjDgghGSBTi0sKz6sJe3cpuq6c0Ljty",
        "7mdF/m0ra5LnT//P2B/1JxPpImX4l5V97wgEEH24mlmWCvrFsj/63XZpVnyviMRJcUDXxN7qS9rdjkv/rVPGm5my",
        "xb2r+suk3JVu6ImMDBIu9Hj5oRDK5P2bVJoQjdOjrXPwrmz3B89iFG8G+uKsiM3P9nvGiTvd863bmTiUX8jnVg8R",
        "K69MKKF9WtteSJ/55vUCLjN4cWNPb5eYPMd1upTMm9r8sHh229XiP4CzG+JDlhrfm8YdwWSZSNfQW8YZVAT5Da88",
        "w6MJbsYgGT/R+mvH",
    ].joined()
    static let oldModulus = [
        "v5tDyl+KGgCvlRQ5ZG4Hozp006HDHO3MB/u1argExINTqFMjhjgpbRpJeLrB7gdgQByUWKHyOitDMnP3lekhnwV7",
        "VfxfBCW4laVe2LRgGGIGYV3c+N7XGTpaYBNPIgDn3qygXlJRquOGvyytCpoUGye1M3jZTCCXKu1zADeajtSS7asf",
        "w0oAhwJDMR6WrPBmYAdl4sEXQgFGISVrsV6Lx24umCjyFvReiUr47eh/IbcxofNJkRSajjUwtgL5iNX7iZo4qJ+o",
        "Qq0Vew/SaA5/6jL8uVI7w0WV62rKte+LCA9UfkqPOwaAVLV7E/I7lVWca42tiRx+C4XzyuvqwCRo8w==",
    ].joined()
    static let oldExponent = "AQAB"
    static let oldValue = [
        "BgIAAACkAABSU0ExAAgAAAEAAQDzaCTA6uvK84ULfhyJrY1rnFWVO/ITe7VUgAY7j0p+VA8Ii++1ymrrlUXDO1K5",
        "/DLqfw5o0g97Fa1CqJ+oOJqJ+9WI+QK2MDWOmhSRSfOhMbchf+jt+EqJXvQW8iiYLm7Hi16xayUhRgFCF8HiZQdg",
        "ZvCslh4xQwKHAErDH6vtktSOmjcAc+0qlyBM2XgztScbFJoKrSy/huOqUVJeoKze5wAiTxNgWjoZ19743F1hBmIY",
        "YLTYXqWVuCUEX/xVewWfIemV93MyQys68qFYlBxAYAfuwbp4SRptKTiGI1OoU4PEBLhqtfsHzO0cw6HTdDqjB25k",
        "ORSVrwAail/KQ5u/",
    ].joined()

    static let token = "tok-en_1+/="
    static let url = [
        "http://127.0.0.1:8080/wopi/files/F00d.wopitest?access_token=tok%2Den%5F1%2B%2F%3D&access",
        "_token_ttl=1767261600000",
    ].joined()
    /// 2026-01-01T09:00:00Z
    static let ticks: Int64 = 639_028_548_000_000_000
    static let proof = [
        "Mpdp7yfGfzJ79kPt6vmstLVCBH1rwKJ55XebNut50TsNoUt1NsYy1hT/jijeW/moMTakAhkW/8dUv2P0VADzMsZo",
        "MwKwyRMxrfquj/m3T0aMalF9IFdjvarSJxoDWfKo/J5BExK+/5xu4BQIlp2IZKJnYd00+QFS0NU9M14mbzKOlHJy",
        "qefZfRXdwmeRFCumdIf6VTriqnCK/oOX4iYTYK24D77y9yV2+FOLxP4MKP+22WfBcMamPjhGMAt1h4iSuB35b/bd",
        "U3EFJtef6KPrT7L1AaDeyBgNLyDoGRtsYGS/reKAfykg0EbZxyF6USfFTq4m2JrbC/w5yAy/gp67sQ==",
    ].joined()
    static let proofOld = [
        "fVHRLh+PnXMMnc7/9BPBhmjw/pAntzxUvifs2lOA1//bdHOWAqXwhIe6QgYS0loMLuCdZag/dSpgcSyMDydhbjwR",
        "Okrmw38FLVRc+BOacSm7lh9mDxeaGF5JRj4zMxST1lYy46uZR4EDliQIDlAG/7M9FcDRhEOEQgacWXk9ugcqFu4H",
        "id6RezuNZA7Z2AO7eGlfUnCXDaMldcj5zgr7nBGh5OT9CXuj2iHleGHSvznoEdmlrExTBlk5FHGubF2jKrT6eF8r",
        "To/EUpw7GML1890J4KpBwiz1G1Py+xgr0LVqYm9zIWok1ewpXg32TPlFDXCF8rOJPEpGB1x123S16A==",
    ].joined()
    /// 2015-08-17T00:00:00Z, the TimestampOlderThan20Min case.
    static let staleTicks: Int64 = 635_753_664_000_000_000
    static let staleProof = [
        "GZW0si+bDTis46ZXUTv4sKULPeyxtVnHGcPPulPU9vXwA5I5WuJWJHDoOQK7cGXHWcYFEapjrzeUOfU8/R3cl8xs",
        "LPl2lQxBEExJNRqh904dEnin7s0vKy9aW1QiDDgfdEOm4o6NlsMJ6iWR0oE5QbPgVnZbSlWC4D+WBwvFd+bekOFi",
        "zeYWbcmRRFIRkFriVtqUlCQb9TyqBfOLEzvHtleT0pwX+fN+Rg4vj41yRyYG/0gzAt0vLt1bzY5ohgafEY23VkrH",
        "3vZwWrLv6eXfYb9jlHcQvBV7pH/oOigxxbbOpR/GbqSoMCVuAJldI8sitZFHWQS6vQ39PHwE9pvksg==",
    ].joined()
    static let staleProofOld = [
        "q6yEVn3MQkhCiTo9b27KMdFb17HVvSAGbD42YZvEuJhvCK49AveeJo+Fs2jTiGcr/qem2NhCqjVQX5X2OvFRMQCE",
        "adVlQUGTJdKv8/GwhZ5i6HhMIfDoOJPajsZ5cLxFLQHeJD6LhkunaI+MTlId3gkjRGdzlNGCT8kVEsR1zjArQB7u",
        "2B+VujEdP68Atztlt254nbsLyM0a1QDXuMYl0Ah/YZknFaQKbP8fTBrKw/UIvYL5EtuzGaUxGkjueMmJ0pS342aN",
        "Ty3GACDLMvqSVNW9AiBbbSO1OAaVuBbC3uurDFPHLbml5aCqC+RiPYk/38/Z5DBwEzCM3adiKJ4iww==",
    ].joined()
    /// What the runner puts in a mutated header: base64 of the ASCII text `INVALID`.
    static let invalid = "SU5WQUxJRA=="
}

/// The proof key of a real Office for the web discovery (ALG_ID 0x2400 in its blobs).
enum OfficeDiscoveryKeys {
    static let modulus = [
        "wVUy0aiLeofHQjA3HYoMU3PGCutIegRDKKvei5wdhIYR7nquirHhjKxGXmAgdwaRQOJ62UoSlzy39bbHd67qUA41",
        "MUmdlHqwXLbrFSqCm6gog+UXtzz7O+jMTCZ1sC5RZ58Oagmi//xeGZjc473VgAK8BjsfR3ehHcqDH1mxJJDfjfrw",
        "z8vSSkEdWPwdRTwm0UQt7R8qUcKlIVfNP1XBCXOdZRp5MgwS44LW862J8zeoXWyZY1tvTGovg0+KlZNi3qv62v6o",
        "jy3HwwCgW12h1stngY6C6hB+JuFgOENej4F9qC9hvC0SVdEDjqQAJIxwwIl2kg+0TuikHnBx13ND5w==",
    ].joined()
    static let value = [
        "BgIAAAAkAABSU0ExAAgAAAEAAQDnQ3PXcXAepOhOtA+SdonAcIwkAKSOA9FVEi28YS+ofYGPXkM4YOEmfhDqgo6B",
        "Z8vWoV1boADDxy2PqP7a+qveYpOVik+DL2pMb1tjmWxdqDfzia3z1oLjEgwyeRplnXMJwVU/zVchpcJRKh/tLUTR",
        "JjxFHfxYHUFK0svP8PqN35AksVkfg8odoXdHHzsGvAKA1b3j3JgZXvz/oglqDp9nUS6wdSZMzOg7+zy3F+WDKKib",
        "gioV67ZcsHqUnUkxNQ5Q6q53x7b1tzyXEkrZeuJAkQZ3IGBeRqyM4bGKrnruEYaEHZyL3qsoQwR6SOsKxnNTDIod",
        "NzBCx4d6i6jRMlXB",
    ].joined()
    static let oldModulus = [
        "thCsltM3pRo9C58pQtSeG/POLSZu1+hDl9BSW18McEOU8ObDSXLtq9AV6uXVucASn12G8J378YbfziuqCFB+Ib5/",
        "G5kcPbC24xYNXXFZFyxteG6Crf4e5OzCC5RL//PWnht5yNpYzIGeKN0X29vIh47FBmMmp1OHPCgtl+h49QIOV5dJ",
        "R0WTE4f3z2wsf69UzkP39s+dPkX40UzzQTU7CurPvdtC3vqQshwyTgHkC+6F8YXyRY1lcZaZ/vFH9xmVvuAMONOs",
        "l11UDXuhsezk61vPV8OkgJs7vWRNm40VY33qCEVTOEKehBShUuCIUznxZ1JImf6x7GGSB+jM5XIyEQ==",
    ].joined()
    static let oldValue = [
        "BgIAAAAkAABSU0ExAAgAAAEAAQARMnLlzOgHkmHssf6ZSFJn8TlTiOBSoRSEnkI4U0UI6n1jFY2bTWS9O5uApMNX",
        "z1vr5OyxoXsNVF2XrNM4DOC+lRn3R/H+mZZxZY1F8oXxhe4L5AFOMhyykPreQtu9z+oKOzVB80zR+EU+nc/290PO",
        "VK9/LGzP94cTk0VHSZdXDgL1eOiXLSg8h1OnJmMGxY6HyNvbF90onoHMWNrIeRue1vP/S5QLwuzkHv6tgm54bSwX",
        "WXFdDRbjtrA9HJkbf74hflAIqivO34bx+53whl2fEsC51eXqFdCr7XJJw+bwlENwDF9bUtCXQ+jXbiYtzvMbntRC",
        "KZ8LPRqlN9OWrBC2",
    ].joined()
}
